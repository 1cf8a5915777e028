import "./styles.css";
import { ApiError, GatewayApi } from "./api.js";
import { byId, h, replaceChildren } from "./dom.js";
import { ExplainView } from "./explain-view.js";
import { RoutesView } from "./routes-view.js";
import { TrafficView } from "./traffic-view.js";

/** Session storage only: the key is gone when the tab closes and is never written anywhere else. */
const STORAGE_KEY = "switchyard.dashboard.apiKey";

/** `?refresh=<seconds>` (1 to 60) changes the traffic refresh interval; default 5 s. */
function refreshIntervalMs(): number {
  const seconds = Number(new URLSearchParams(location.search).get("refresh"));
  return Number.isFinite(seconds) && seconds >= 1 && seconds <= 60 ? seconds * 1000 : 5000;
}

let api: GatewayApi | undefined;
const currentApi = (): GatewayApi => {
  if (!api) throw new Error("not connected");
  return api;
};

const keyError = byId("key-error");

function handleError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) {
    disconnect("The gateway rejected this API key (401). Paste a valid key of your org.");
  }
}

const routes = new RoutesView(currentApi, {
  onError: handleError,
  onChange: () => {
    explain.markStale();
    void traffic.refresh();
  },
});
const explain = new ExplainView(currentApi, handleError);
const traffic = new TrafficView(
  currentApi,
  {
    onError: handleError,
    onStats: (stats) => {
      byId("session-org").textContent = `Org ${stats.org.name}`;
      byId("session-org").title = stats.org.id;
    },
  },
  refreshIntervalMs(),
);

async function connect(key: string): Promise<void> {
  keyError.hidden = true;
  api = new GatewayApi(key);
  try {
    // Checks the key before showing anything.
    await api.listRoutes();
  } catch (error) {
    api = undefined;
    sessionStorage.removeItem(STORAGE_KEY);
    keyError.hidden = false;
    keyError.textContent =
      error instanceof ApiError && error.status === 401
        ? "The gateway rejected this API key (401). Paste a valid key of your org."
        : `Could not reach the gateway: ${(error as Error).message}`;
    return;
  }
  sessionStorage.setItem(STORAGE_KEY, key);
  byId<HTMLInputElement>("api-key").value = "";
  byId("key-form").hidden = true;
  byId("session").hidden = false;
  byId("session-org").textContent = "Connected";
  byId("welcome").hidden = true;
  byId("app").hidden = false;
  await routes.load();
  void loadModels();
  traffic.start();
}

function disconnect(message?: string): void {
  api = undefined;
  sessionStorage.removeItem(STORAGE_KEY);
  traffic.reset();
  routes.reset();
  explain.reset();
  replaceChildren(byId("model-options"));
  byId("app").hidden = true;
  byId("welcome").hidden = false;
  byId("session").hidden = true;
  byId("key-form").hidden = false;
  keyError.hidden = message === undefined;
  keyError.textContent = message ?? "";
  byId("api-key").focus();
}

async function loadModels(): Promise<void> {
  try {
    const models = await currentApi().listModels();
    replaceChildren(
      byId("model-options"),
      ...models.data.map((model) => h("option", { value: model.id })),
    );
  } catch {
    // Suggestions only: the fields take any model name.
  }
}

byId<HTMLFormElement>("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = byId<HTMLInputElement>("api-key").value.trim();
  if (key !== "") void connect(key);
});
byId("disconnect").addEventListener("click", () => disconnect());

const saved = sessionStorage.getItem(STORAGE_KEY);
if (saved) void connect(saved);
