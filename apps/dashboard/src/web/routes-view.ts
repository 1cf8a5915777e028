import type { WireRoute } from "@switchyard/core";
import { ApiError, type GatewayApi } from "./api.js";
import { describeAction, describeConditions } from "./describe-route.js";
import { byId, h, replaceChildren } from "./dom.js";
import {
  clearRouteFormErrors,
  fillRouteForm,
  readRouteForm,
  showRouteFormErrors,
} from "./route-form.js";
import { routeIssues } from "./validation.js";

export interface RoutesViewHooks {
  /** Called with every error the view does not handle itself (e.g. 401). */
  onError(error: unknown): void;
  /** Called after any route changed (created, edited, toggled, deleted). */
  onChange(): void;
}

/** The Routes panel: the list in evaluation order, and the create / edit form. */
export class RoutesView {
  private routes: WireRoute[] = [];
  private editing: WireRoute | undefined;
  private readonly body = byId("routes-body");
  private readonly status = byId("routes-status");
  private readonly form = byId<HTMLFormElement>("route-form");
  private readonly formStatus = byId("route-form-status");

  constructor(
    private readonly api: () => GatewayApi,
    private readonly hooks: RoutesViewHooks,
  ) {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    byId("route-cancel").addEventListener("click", () => this.startCreate());
  }

  /** Reloads the list; `message` replaces the summary line (the outcome of an action). */
  async load(highlight?: string, message?: string): Promise<void> {
    try {
      const list = await this.api().listRoutes();
      this.routes = list.data;
      this.render(highlight, message);
    } catch (error) {
      this.status.textContent = `Could not load the routes: ${(error as Error).message}`;
      this.hooks.onError(error);
    }
  }

  reset(): void {
    this.routes = [];
    this.startCreate();
    replaceChildren(this.body);
    this.status.textContent = "";
  }

  private render(highlight?: string, message?: string): void {
    const enabled = this.routes.filter((r) => r.enabled).length;
    this.status.textContent =
      message ??
      (this.routes.length === 0
        ? "No routes yet: every request goes to the model it names. Create one with the form."
        : `${this.routes.length} route${this.routes.length === 1 ? "" : "s"}, ${enabled} enabled.`);
    replaceChildren(
      this.body,
      ...this.routes.map((route, index) => this.row(route, index, route.id === highlight)),
    );
  }

  private row(route: WireRoute, index: number, highlight: boolean): HTMLTableRowElement {
    const toggle = h("input", {
      type: "checkbox",
      role: "switch",
      "aria-label": `Route ${route.name} enabled`,
      checked: route.enabled,
    });
    toggle.addEventListener("change", () => void this.setEnabled(route, toggle));
    const remove = h(
      "button",
      { type: "button", class: "danger", "aria-label": `Delete ${route.name}` },
      "Delete",
    );
    remove.addEventListener("click", () => void this.remove(route, remove));
    const classes = [route.enabled ? "" : "disabled", highlight ? "flash" : ""].join(" ").trim();
    return h(
      "tr",
      { class: classes || null, "data-route-id": route.id },
      h("td", { class: "num" }, index + 1),
      h(
        "td",
        { class: "route-name" },
        h("strong", {}, route.name),
        h("span", { class: "meta" }, `priority ${route.priority}`),
        route.enabled ? null : h("span", { class: "badge off" }, "disabled"),
      ),
      h(
        "td",
        { class: "rule" },
        h("span", { class: "when" }, describeConditions(route.when)),
        h("span", { class: "arrow" }, " -> "),
        h("span", { class: "then" }, describeAction(route.then)),
      ),
      h(
        "td",
        { class: "toggle" },
        h(
          "label",
          { class: "switch" },
          toggle,
          h("span", { class: "slider", "aria-hidden": "true" }),
        ),
      ),
      h(
        "td",
        { class: "row-actions" },
        h(
          "button",
          {
            type: "button",
            "aria-label": `Edit ${route.name}`,
            onclick: () => this.startEdit(route),
          },
          "Edit",
        ),
        remove,
      ),
    );
  }

  private startCreate(): void {
    this.editing = undefined;
    fillRouteForm(undefined);
    byId("route-form-title").textContent = "New route";
    byId("route-submit").textContent = "Create route";
    byId("route-cancel").hidden = true;
    this.formStatus.textContent = "";
  }

  private startEdit(route: WireRoute): void {
    this.editing = route;
    fillRouteForm(route);
    byId("route-form-title").textContent = `Edit route ${route.name}`;
    byId("route-submit").textContent = "Save changes";
    byId("route-cancel").hidden = false;
    this.formStatus.textContent = "";
    this.form.scrollIntoView({ block: "nearest" });
    byId("route-name").focus();
  }

  private async submit(): Promise<void> {
    const body = readRouteForm();
    const submit = byId<HTMLButtonElement>("route-submit");
    submit.disabled = true;
    this.formStatus.textContent = this.editing ? "Saving…" : "Creating…";
    try {
      const editing = this.editing;
      const route = editing
        ? await this.api().updateRoute(editing.id, body)
        : await this.api().createRoute(body);
      this.startCreate();
      this.formStatus.textContent = `${editing ? "Saved" : "Created"} ${route.name}; it applies on the next request.`;
      await this.load(route.id);
      this.hooks.onChange();
    } catch (error) {
      this.formStatus.textContent = "";
      if (error instanceof ApiError && error.status === 400) {
        showRouteFormErrors(routeIssues(error.message, error.param), error.message);
        this.formStatus.textContent = "Not saved: fix the highlighted field.";
      } else if (error instanceof ApiError && error.status === 404 && this.editing) {
        showRouteFormErrors([], "This route no longer exists (deleted elsewhere?).");
        await this.load();
      } else {
        showRouteFormErrors([], (error as Error).message);
        this.hooks.onError(error);
      }
    } finally {
      submit.disabled = false;
    }
  }

  private async setEnabled(route: WireRoute, toggle: HTMLInputElement): Promise<void> {
    const enabled = toggle.checked;
    toggle.disabled = true;
    try {
      const updated = await this.api().updateRoute(route.id, { enabled });
      const done = `${updated.name} ${enabled ? "enabled" : "disabled"}; applies on the next request.`;
      await this.load(updated.id, done);
      this.hooks.onChange();
    } catch (error) {
      toggle.checked = !enabled;
      toggle.disabled = false;
      this.status.textContent = `Could not ${enabled ? "enable" : "disable"} ${route.name}: ${(error as Error).message}`;
      this.hooks.onError(error);
    }
  }

  private async remove(route: WireRoute, button: HTMLButtonElement): Promise<void> {
    if (button.dataset.confirm !== "yes") {
      button.dataset.confirm = "yes";
      button.textContent = "Confirm delete";
      button.setAttribute("aria-label", `Confirm delete ${route.name}`);
      setTimeout(() => {
        if (!button.isConnected) return;
        delete button.dataset.confirm;
        button.textContent = "Delete";
        button.setAttribute("aria-label", `Delete ${route.name}`);
      }, 5000);
      return;
    }
    button.disabled = true;
    try {
      await this.api().deleteRoute(route.id);
      if (this.editing?.id === route.id) this.startCreate();
      await this.load(undefined, `Deleted ${route.name}; applies on the next request.`);
      this.hooks.onChange();
    } catch (error) {
      button.disabled = false;
      this.status.textContent = `Could not delete ${route.name}: ${(error as Error).message}`;
      this.hooks.onError(error);
    }
  }

  /** Clears the form's errors (e.g. when the key changes). */
  clearErrors(): void {
    clearRouteFormErrors();
  }
}
