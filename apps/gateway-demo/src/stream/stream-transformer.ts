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

/**
 * A dialect's knowledge of how its own stream ends, for the checked
 * passthrough (`SsePassthrough`): which event is the final one, and whether
 * a stream cut short of it delivered its end anyway.
 */
export interface StreamEndCheck {
  /** Reads one event's data (throws `MalformedStream` when it cannot be read); whether it is the final event. */
  isFinal(data: string): boolean;
  /** Whether a stream that ended without its final event is complete anyway. */
  readonly complete: boolean;
  /** The final event as the error message names it (`data: [DONE]`, `message_stop`). */
  readonly finalEvent: string;
}
