import { SwitchyardError } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import {
  AutomaticCacheControlConflictError,
  AutomaticCacheControlNoSlotError,
  CacheTtlOrderError,
  DEFAULT_MARKER_OPTIONS,
  DisabledCacheTtlError,
  InvalidCacheControlError,
  InvalidCacheTtlError,
  invalidCacheControlResponse,
  MalformedCacheControlError,
  type MarkerOptions,
  parseRequest,
  prepareRequest,
  resolveBreakpoints,
  TooManyCacheBreakpointsError,
  UnsupportedCacheControlTypeError,
} from "../src/index.js";
import { ephemeral, text } from "./helpers.js";

const breakpoints = (
  body: unknown,
  format: "openai" | "anthropic" = "openai",
  options: MarkerOptions = DEFAULT_MARKER_OPTIONS,
) => resolveBreakpoints(parseRequest(body, format), options);

const thrown = (run: () => unknown): InvalidCacheControlError => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidCacheControlError) return error;
    throw error;
  }
  throw new Error("expected an InvalidCacheControlError");
};

const userParts = (...markers: unknown[]) => ({
  messages: [{ role: "user", content: markers.map((m, i) => text(`part ${i}`, m)) }],
});

describe("marker grammar errors name the place", () => {
  it("a non-object marker is malformed", () => {
    const error = thrown(() => breakpoints(userParts(undefined, undefined, "ephemeral")));
    expect(error).toBeInstanceOf(MalformedCacheControlError);
    expect(error.code).toBe("E_CACHE_CONTROL_MALFORMED");
    expect(error.location).toBe("messages[0].content[2]");
    expect(error.message).toMatch(/^messages\[0\]\.content\[2\]: cache_control must be an object/);
  });

  it("an array marker is malformed", () => {
    expect(thrown(() => breakpoints(userParts([ephemeral()])))).toBeInstanceOf(
      MalformedCacheControlError,
    );
  });

  it("a marker without type is malformed", () => {
    const error = thrown(() => breakpoints(userParts({ ttl: "5m" })));
    expect(error).toBeInstanceOf(MalformedCacheControlError);
    expect(error.message).toContain("cache_control.type is required");
  });

  it("a marker with an unknown key is malformed", () => {
    const error = thrown(() => breakpoints(userParts({ type: "ephemeral", scope: "global" })));
    expect(error).toBeInstanceOf(MalformedCacheControlError);
    expect(error.message).toContain('unknown key "scope"');
  });

  it("a type other than ephemeral is unsupported (tools[i] location)", () => {
    const body = { tools: [{ name: "a" }, { name: "b", cache_control: { type: "persistent" } }] };
    const error = thrown(() => breakpoints(body, "anthropic"));
    expect(error).toBeInstanceOf(UnsupportedCacheControlTypeError);
    expect(error.code).toBe("E_CACHE_CONTROL_UNSUPPORTED_TYPE");
    expect(error.location).toBe("tools[1]");
    expect(error.message).toContain('"persistent"');
  });

  it("an unknown ttl is invalid (system[i] location)", () => {
    const body = { system: [text("s", { type: "ephemeral", ttl: "2h" })], messages: [] };
    const error = thrown(() => breakpoints(body, "anthropic"));
    expect(error).toBeInstanceOf(InvalidCacheTtlError);
    expect(error.code).toBe("E_CACHE_CONTROL_INVALID_TTL");
    expect(error.location).toBe("system[0]");
  });

  it("a non-string ttl is invalid", () => {
    expect(thrown(() => breakpoints(userParts({ type: "ephemeral", ttl: 300 })))).toBeInstanceOf(
      InvalidCacheTtlError,
    );
  });

  it("24h is disabled unless configured", () => {
    const body = userParts(ephemeral("24h"));
    const error = thrown(() => breakpoints(body));
    expect(error).toBeInstanceOf(DisabledCacheTtlError);
    expect(error.code).toBe("E_CACHE_CONTROL_TTL_DISABLED");
    expect(error.message).toContain('enabled: "5m", "1h"');
    const opted = breakpoints(body, "openai", {
      enabledTtlTiers: ["5m", "1h", "24h"],
      defaultTtl: "5m",
    });
    expect(opted.map((b) => b.tier)).toEqual(["24h"]);
  });

  it("an assistant tool call's marker is validated at its place", () => {
    const body = {
      messages: [
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "c",
              type: "function",
              function: { name: "f", arguments: "{}" },
              cache_control: 5,
            },
          ],
        },
      ],
    };
    expect(thrown(() => breakpoints(body)).location).toBe("messages[0].tool_calls[0]");
  });

  it("the top-level marker is validated at `cache_control`", () => {
    const body = {
      cache_control: { type: "ephemeral", ttl: "1d" },
      messages: [{ role: "user", content: "x" }],
    };
    const error = thrown(() => breakpoints(body));
    expect(error).toBeInstanceOf(InvalidCacheTtlError);
    expect(error.location).toBe("cache_control");
  });
});

describe("ttl defaults and explicit null", () => {
  it("an absent ttl is the configured default tier", () => {
    expect(breakpoints(userParts(ephemeral())).map((b) => b.tier)).toEqual(["5m"]);
    const options: MarkerOptions = { enabledTtlTiers: ["5m", "1h"], defaultTtl: "1h" };
    expect(breakpoints(userParts(ephemeral()), "openai", options).map((b) => b.tier)).toEqual([
      "1h",
    ]);
  });

  it("ttl: null is the default tier too", () => {
    expect(breakpoints(userParts({ type: "ephemeral", ttl: null })).map((b) => b.tier)).toEqual([
      "5m",
    ]);
  });

  it("cache_control: null is no marker and takes no slot", () => {
    const body = userParts(null, ephemeral(), ephemeral(), ephemeral(), ephemeral());
    expect(breakpoints(body).map((b) => b.location)).toEqual([
      "messages[0].content[1]",
      "messages[0].content[2]",
      "messages[0].content[3]",
      "messages[0].content[4]",
    ]);
  });
});

describe("markers are read only at the listed locations, never recursively", () => {
  it("a cache_control inside a tool's schema or a tool result's parts is data", () => {
    const body = {
      tools: [{ name: "t", input_schema: { type: "object", cache_control: "not a marker" } }],
      messages: [
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "x", content: [text("r", { type: "bogus" })] },
          ],
        },
      ],
    };
    expect(breakpoints(body, "anthropic")).toEqual([]);
  });

  it("a cache_control on an OpenAI message object is not a marker", () => {
    const body = { messages: [{ role: "user", content: "x", cache_control: { type: "bogus" } }] };
    expect(breakpoints(body)).toEqual([]);
  });

  it("an ignored tool call (non-assistant role) is not validated", () => {
    const body = {
      messages: [{ role: "user", content: "x", tool_calls: [{ id: "c", cache_control: "bad" }] }],
    };
    expect(breakpoints(body)).toEqual([]);
  });
});

describe("at most 4 breakpoints", () => {
  it("a fifth explicit marker is rejected at its place", () => {
    const body = {
      tools: [{ name: "a", cache_control: ephemeral() }],
      messages: [
        {
          role: "user",
          content: [
            text("1", ephemeral()),
            text("2", ephemeral()),
            text("3", ephemeral()),
            text("4", ephemeral()),
          ],
        },
      ],
    };
    const error = thrown(() => breakpoints(body, "anthropic"));
    expect(error).toBeInstanceOf(TooManyCacheBreakpointsError);
    expect(error.code).toBe("E_CACHE_CONTROL_TOO_MANY_BREAKPOINTS");
    expect(error.location).toBe("messages[0].content[3]");
    expect(error.message).toContain("at most 4");
  });

  it("four explicit markers are fine", () => {
    expect(breakpoints(userParts(ephemeral(), ephemeral(), ephemeral(), ephemeral()))).toHaveLength(
      4,
    );
  });
});

describe("the automatic (top-level) marker", () => {
  it("puts a breakpoint on the last block", () => {
    const body = {
      cache_control: ephemeral("1h"),
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: "b" },
      ],
    };
    expect(breakpoints(body)).toEqual([
      { blockIndex: 1, tier: "1h", location: "cache_control", automatic: true },
    ]);
  });

  it("is a no-op without blocks", () => {
    expect(breakpoints({ cache_control: ephemeral(), messages: [] })).toEqual([]);
  });

  it("is a no-op when the last block already has the same tier", () => {
    const body = {
      cache_control: { type: "ephemeral", ttl: "5m" },
      ...userParts(undefined, ephemeral()),
    };
    expect(breakpoints(body)).toEqual([
      { blockIndex: 1, tier: "5m", location: "messages[0].content[1]", automatic: false },
    ]);
  });

  it("conflicts when the last block has a different tier", () => {
    const body = { cache_control: ephemeral(), ...userParts(ephemeral("1h")) };
    const error = thrown(() => breakpoints(body));
    expect(error).toBeInstanceOf(AutomaticCacheControlConflictError);
    expect(error.code).toBe("E_CACHE_CONTROL_AUTOMATIC_CONFLICT");
    expect(error.location).toBe("cache_control");
    expect(error.message).toContain("messages[0].content[0]");
  });

  it("has no slot when 4 explicit markers are present and the last block is unmarked", () => {
    const body = {
      cache_control: ephemeral(),
      ...userParts(ephemeral(), ephemeral(), ephemeral(), ephemeral(), undefined),
    };
    const error = thrown(() => breakpoints(body));
    expect(error).toBeInstanceOf(AutomaticCacheControlNoSlotError);
    expect(error.code).toBe("E_CACHE_CONTROL_AUTOMATIC_NO_SLOT");
  });

  it("needs no slot when the 4th explicit marker is on the last block with the same tier", () => {
    const body = {
      cache_control: ephemeral(),
      ...userParts(ephemeral(), ephemeral(), ephemeral(), ephemeral()),
    };
    expect(breakpoints(body)).toHaveLength(4);
  });

  it("explicit null at the top level is no marker", () => {
    const body = {
      cache_control: null,
      ...userParts(ephemeral(), ephemeral(), ephemeral(), ephemeral(), undefined),
    };
    expect(breakpoints(body)).toHaveLength(4);
  });
});

describe("longer TTLs come before shorter ones", () => {
  it("a 1h breakpoint after a 5m one is rejected at the later place", () => {
    const body = {
      tools: [{ name: "a", cache_control: ephemeral("5m") }],
      messages: [{ role: "user", content: [text("x", ephemeral("1h"))] }],
    };
    const error = thrown(() => breakpoints(body, "anthropic"));
    expect(error).toBeInstanceOf(CacheTtlOrderError);
    expect(error.code).toBe("E_CACHE_CONTROL_TTL_ORDER");
    expect(error.location).toBe("messages[0].content[0]");
    expect(error.message).toContain("tools[0]");
  });

  it("an automatic 1h marker after an explicit 5m one is rejected", () => {
    const body = { cache_control: ephemeral("1h"), ...userParts(ephemeral("5m"), undefined) };
    expect(thrown(() => breakpoints(body)).location).toBe("cache_control");
  });

  it("equal or decreasing tiers are fine", () => {
    const options: MarkerOptions = { enabledTtlTiers: ["5m", "1h", "24h"], defaultTtl: "5m" };
    const body = userParts(ephemeral("24h"), ephemeral("1h"), ephemeral("1h"), ephemeral("5m"));
    expect(breakpoints(body, "openai", options).map((b) => b.tier)).toEqual([
      "24h",
      "1h",
      "1h",
      "5m",
    ]);
  });
});

describe("the 400 a gateway returns", () => {
  it("every marker error is a SwitchyardError with a stable code", () => {
    const error = thrown(() => prepareRequest(userParts("x"), "openai", DEFAULT_MARKER_OPTIONS));
    expect(error).toBeInstanceOf(SwitchyardError);
    expect(error.param).toBe("cache_control");
  });

  it("invalidCacheControlResponse builds the invalid_cache_control envelope", () => {
    const error = thrown(() => breakpoints(userParts(undefined, { type: "ephemeral", ttl: "2h" })));
    expect(invalidCacheControlResponse(error)).toEqual({
      status: 400,
      body: {
        error: {
          message: expect.stringContaining("messages[0].content[1]"),
          type: "invalid_request_error",
          code: "invalid_cache_control",
          param: "cache_control",
        },
      },
    });
  });
});
