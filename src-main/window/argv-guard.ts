/**
 * Refuses to start when the process was launched in a way that opens it to instrumentation: a remote
 * debugging port or inspector lets any local process drive the app and read decrypted content, and
 * ELECTRON_RUN_AS_NODE turns the signed binary into a plain Node interpreter.
 */
const REFUSED_FLAGS = [/^--remote-debugging-(port|pipe)(=|$)/, /^--inspect(-brk|-port|-publish-uid)?(=|$)/, /^--no-sandbox$/, /^--disable-web-security$/, /^--js-flags(=|$)/];

export function refusedLaunchReasons(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  const reasons: string[] = [];
  for (const arg of argv) {
    if (REFUSED_FLAGS.some((pattern) => pattern.test(arg))) reasons.push(`refused command-line switch ${arg.split('=')[0]}`);
  }
  if (env.ELECTRON_RUN_AS_NODE !== undefined) reasons.push('refused environment variable ELECTRON_RUN_AS_NODE');
  if (env.NODE_OPTIONS !== undefined && /--inspect|--require|-r\b|--import|--loader/.test(env.NODE_OPTIONS)) reasons.push('refused NODE_OPTIONS');
  return reasons;
}
