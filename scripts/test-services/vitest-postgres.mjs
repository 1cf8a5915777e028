// vitest globalSetup for packages whose tests need PostgreSQL.
import { vitestGlobalSetup } from "./vitest-setup.mjs";

export default vitestGlobalSetup(["postgres"]);
