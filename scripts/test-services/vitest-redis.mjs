// vitest globalSetup for packages whose tests need Redis.
import { vitestGlobalSetup } from "./vitest-setup.mjs";

export default vitestGlobalSetup(["redis"]);
