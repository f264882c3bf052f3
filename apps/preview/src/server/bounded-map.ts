/** A map that forgets its oldest keys beyond `max`, so memory stays flat. */
export interface BoundedMap<K, V> {
  /** Sets `key`, making it the newest. */
  set(key: K, value: V): void;
  get(key: K): V | undefined;
  delete(key: K): void;
}

export function createBoundedMap<K, V>(max: number): BoundedMap<K, V> {
  const map = new Map<K, V>();
  return {
    set(key, value) {
      // Re-inserting keeps the Map in insertion order: the first key is the oldest.
      map.delete(key);
      map.set(key, value);
      if (map.size > max) map.delete(map.keys().next().value as K);
    },
    get: (key) => map.get(key),
    delete: (key) => {
      map.delete(key);
    },
  };
}
