#!/usr/bin/env python3
"""Generates test/fixtures/multivariate/*.json: sklearn/scipy/numpy reference values
for the multivariate methods (calibration, CBPE, PCA reconstruction error,
logistic regression, MMD, per-dimension KS).

Run from the repository root:  python3 scripts/fixtures-multivariate.py
Needs numpy, scipy and scikit-learn (Debian: python3-sklearn python3-scipy).
Inputs are rounded to 10 significant digits and stored, so both sides use identical numbers.
"""
import json
import os

import numpy as np
from scipy import stats
from sklearn.calibration import _sigmoid_calibration
from sklearn.decomposition import PCA
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "multivariate")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261207)


def r(a):
    a = np.asarray(a, dtype=float)
    return np.vectorize(lambda v: float(f"{v:.10g}"))(a) if a.size else a


def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))


def tolist(a):
    return np.asarray(a, dtype=float).tolist()


# Calibration: noisy scores whose relation to the label is monotone but not calibrated.
n = 400
scores = r(rng.uniform(size=n) ** 2)
labels = (rng.uniform(size=n) < np.sqrt(scores)).astype(int)
scores[:20] = scores[20:40]  # ties
iso = IsotonicRegression(out_of_bounds="clip", y_min=None, y_max=None).fit(scores, labels)
grid = r(np.linspace(-0.1, 1.1, 61))
a, b = _sigmoid_calibration(scores, labels)
dump(
    "calibration.json",
    {
        "scores": tolist(scores),
        "labels": labels.tolist(),
        "grid": tolist(grid),
        "isotonic": tolist(iso.predict(grid)),
        "platt": {"a": float(a), "b": float(b)},
    },
)

# CBPE, binary: calibrated probabilities, expected metrics by direct formulas.
p = r(rng.beta(2, 2, size=300))
pred = (p >= 0.5).astype(int)
expected_acc = float(np.mean(np.where(pred == 1, p, 1 - p)))
tp = float(np.sum(p * pred)); fp = float(np.sum((1 - p) * pred)); fn = float(np.sum(p * (1 - pred)))
num = 0.0; den = 0.0
for i in range(len(p)):
    w = p[i] * (1 - p)
    w[i] = 0
    num += float(np.sum(w * ((p[i] > p) + 0.5 * (p[i] == p))))
    den += float(np.sum(w))
y = (rng.uniform(size=len(p)) < p).astype(int)
dump(
    "cbpe-binary.json",
    {
        "p": tolist(p),
        "expected": {
            "accuracy": expected_acc,
            "precision": tp / (tp + fp),
            "recall": tp / (tp + fn),
            "f1": 2 * tp / (2 * tp + fp + fn),
            "roc_auc": num / den,
        },
        "labels": y.tolist(),
        "realised": {
            "accuracy": accuracy_score(y, pred),
            "precision": precision_score(y, pred),
            "recall": recall_score(y, pred),
            "f1": f1_score(y, pred),
            "roc_auc": roc_auc_score(y, p),
        },
    },
)

# CBPE, multiclass realised metrics (macro) against sklearn.
k = 3
logits = rng.normal(size=(250, k)) * 1.5
probs = r(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True))
yk = np.array([rng.choice(k, p=row / row.sum()) for row in probs])
predk = probs.argmax(axis=1)
dump(
    "cbpe-multiclass.json",
    {
        "probs": tolist(probs),
        "labels": yk.tolist(),
        "realised": {
            "accuracy": accuracy_score(yk, predk),
            "precision": precision_score(yk, predk, average="macro", zero_division=0),
            "recall": recall_score(yk, predk, average="macro", zero_division=0),
            "f1": f1_score(yk, predk, average="macro", zero_division=0),
            "roc_auc": roc_auc_score(yk, probs, multi_class="ovr", average="macro"),
        },
        "expected_accuracy": float(np.mean(probs[np.arange(len(probs)), predk])),
    },
)

# PCA reconstruction error.
d = 8
mix = rng.normal(size=(d, d))
ref = r(rng.normal(size=(300, d)) @ mix + rng.normal(size=d) * 3)
cur = r(rng.normal(size=(50, d)) @ mix)
scaler = StandardScaler().fit(ref)
pca = PCA(n_components=0.65, svd_solver="full").fit(scaler.transform(ref))
zs = scaler.transform(cur)
err = np.linalg.norm(zs - pca.inverse_transform(pca.transform(zs)), axis=1)
dump(
    "pca.json",
    {
        "reference": tolist(ref),
        "current": tolist(cur),
        "components": int(pca.n_components_),
        "explained": float(np.sum(pca.explained_variance_ratio_)),
        "errors": tolist(err),
    },
)

# Logistic regression (sklearn defaults: L2, C = 1, lbfgs), tight tolerance.
x = r(np.vstack([rng.normal(size=(120, 5)), rng.normal(0.4, 1.2, size=(80, 5))]))
yl = np.array([0] * 120 + [1] * 80)
lr = LogisticRegression(C=1.0, tol=1e-12, max_iter=100000).fit(x, yl)
dump("logistic.json", {"x": tolist(x), "y": yl.tolist(), "coef": tolist(lr.coef_[0]), "intercept": float(lr.intercept_[0])})

# MMD² (unbiased, Gaussian kernel) by direct O(n²) numpy, and the median heuristic.
xa = r(rng.normal(size=(40, 6)))
ya = r(rng.normal(0.3, 1, size=(30, 6)))
def mmd2u(X, Y, sigma):
    def kern(A, B):
        d2 = ((A[:, None, :] - B[None, :, :]) ** 2).sum(-1)
        return np.exp(-d2 / (2 * sigma**2))
    kxx = kern(X, X); kyy = kern(Y, Y); kxy = kern(X, Y)
    m, nn = len(X), len(Y)
    return (kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (nn * (nn - 1)) - 2 * kxy.mean()
# Median heuristic on the reference (x) alone: sigma^2 = median of its pairwise squared distances / 2.
d2 = ((xa[:, None, :] - xa[None, :, :]) ** 2).sum(-1)
med = float(np.median(d2[np.triu_indices(len(xa), 1)]))
sigma_med = float(np.sqrt(med / 2))
dump(
    "mmd.json",
    {"x": tolist(xa), "y": tolist(ya), "sigma": 1.3, "mmd2": float(mmd2u(xa, ya, 1.3)),
     "sigmaMedian": sigma_med, "mmd2Median": float(mmd2u(xa, ya, sigma_med))},
)

# Per-dimension KS p-values (scipy ks_2samp, exact method as 'auto' picks for these sizes).
ra = r(rng.normal(size=(200, 4)))
ca = r(np.column_stack([rng.normal(size=80), rng.normal(0.8, 1, size=80), rng.normal(size=80), rng.normal(0, 2, size=80)]))
dump("components.json", {"reference": tolist(ra), "current": tolist(ca),
     "pValues": [float(stats.ks_2samp(ra[:, j], ca[:, j]).pvalue) for j in range(4)]})
print("wrote", OUT)
