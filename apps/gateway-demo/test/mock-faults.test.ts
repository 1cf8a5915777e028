import { describe, expect, it } from "vitest";
import { parseFault, splitModel } from "../src/mock/mock-faults.js";

describe("mock fault directives", () => {
  it("parse from the model name and the header", () => {
    expect(splitModel("gpt-4o~fail=429~retry_after=2~times=1")).toEqual({
      base: "gpt-4o",
      directives: "fail=429~retry_after=2~times=1",
    });
    expect(parseFault("fail=429~retry_after=2~times=1")).toEqual({
      fail: 429,
      retryAfterS: 2,
      times: 1,
    });
    expect(parseFault("cut=3,ttft=50,tool,bogus=1")).toEqual({ cut: 3, ttftMs: 50, tool: true });
    expect(parseFault("garble=2~empty~big_event=100")).toEqual({
      garble: 2,
      empty: true,
      bigEventBytes: 100,
    });
  });
});
