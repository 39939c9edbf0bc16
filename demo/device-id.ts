/** This browser's device id, kept across reloads (windows from one device share it). */
export function deviceId(): string {
  const key = 'edgewatch-demo-device';
  let id = localStorage.getItem(key);
  if (id === null) {
    id = `demo-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem(key, id);
  }
  return id;
}
