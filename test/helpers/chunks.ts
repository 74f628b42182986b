/** Feeds `text` (UTF-8) to a splitter in chunks of the given sizes, taken in turn (one chunk when none), then ends it. */
export function pushInChunks(s: { push(chunk: Buffer): void; end(): void }, text: string, sizes: readonly number[] = []): void {
  const buf = Buffer.from(text, "utf8");
  if (sizes.length === 0) s.push(buf);
  for (let i = 0, k = 0; sizes.length > 0 && i < buf.length; ) {
    const n = Math.max(1, sizes[k++ % sizes.length]!);
    s.push(buf.subarray(i, i + n));
    i += n;
  }
  s.end();
}
