// vitest globalSetup for packages whose tests need PostgreSQL and Redis.
import { vitestGlobalSetup } from "./vitest-setup.mjs";

export default vitestGlobalSetup(["postgres", "redis"]);
