/**
 * Reads until `check` holds, every 100 ms for at most 30 s, and returns the last value read: work
 * that runs after an answer (message updates, a queue's worker) is awaited this way.
 */
export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 300 && !check(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
