/** Token usage a stream reported, when the transformer read it. */
export interface StreamUsage {
  input: number;
  output: number;
}

/**
 * Turns upstream stream chunks into the bytes the client receives. The
 * dispatch stage feeds chunks until the first non-empty output (only then
 * has anything reached the client, so failover stays possible until then).
 */
export interface StreamTransformer {
  /** Output for one upstream chunk; may be empty. */
  push(chunk: Buffer): string | Buffer;
  /** Output when the upstream ended cleanly. */
  end(): string | Buffer;
  readonly usage: StreamUsage | undefined;
}

export const isEmptyOutput = (out: string | Buffer): boolean => out.length === 0;
