// Placeholder until the kernels land (issue 2).
export function version(): i32 {
  return 1;
}
