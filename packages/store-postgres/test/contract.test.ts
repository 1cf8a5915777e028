import { routingStoreContract } from "@switchyard/conformance";
import type { Knex } from "knex";
import { beforeAll } from "vitest";
import { migrate, PostgresRoutingStore } from "../src/index.js";
import { useDatabase } from "./helpers.js";

const database = useDatabase();
let knex: Knex;
beforeAll(async () => {
  knex = database.knex();
  await migrate(knex);
});

routingStoreContract(() => new PostgresRoutingStore({ knex }), {
  label: "PostgresRoutingStore meets the RoutingStore contract",
  changeFeed: true,
  teardown: (store) => store.close(),
});
