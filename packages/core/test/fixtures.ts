import {
  emptyConditions,
  type Route,
  type RouteAction,
  type RouteConditions,
  uuidv7,
} from "../src/index.js";

interface RouteSpec {
  name?: string;
  priority?: number;
  enabled?: boolean;
  when?: Partial<RouteConditions>;
  then?: Partial<RouteAction>;
}

/** A route with defaults: priority 100, enabled, no conditions, target "target-model". */
export function route(spec: RouteSpec = {}): Route {
  return {
    id: uuidv7(),
    name: spec.name ?? "route",
    priority: spec.priority ?? 100,
    enabled: spec.enabled ?? true,
    when: { ...emptyConditions(), ...spec.when },
    then: { target_model: "target-model", ...spec.then },
  };
}

export function userMessage(content: unknown) {
  return { role: "user", content };
}

export function chat(model: string, ...messages: unknown[]) {
  return { model, messages };
}

export const imagePart = { type: "image_url", image_url: { url: "https://example.com/cat.png" } };
export const audioPart = { type: "input_audio", input_audio: { data: "AAAA", format: "wav" } };
export const textPart = (text: string) => ({ type: "text", text });
