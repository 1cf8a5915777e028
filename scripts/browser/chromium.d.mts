/** Where Debian's `chromium` package puts the browser. */
export declare const CHROMIUM_PATH: "/usr/bin/chromium";
/** The command that installs it (run as root). */
export declare const APT_INSTALL: string;
/** Headless flags passed to every launch. */
export declare const CHROMIUM_ARGS: readonly string[];

/**
 * Resolves with the Chromium path, installing Debian's package first when it
 * is missing and this process is root; rejects with the command to run otherwise.
 */
export declare function ensureChromium(options?: {
  log?: (message: string) => void;
}): Promise<string>;

/** Options for playwright-core's `chromium.launchPersistentContext(userDataDir, options)`. */
export declare function chromiumLaunchOptions(options?: { executablePath?: string }): {
  userDataDir: string;
  options: { executablePath: string; headless: true; args: string[] };
  cleanup: () => void;
};
