/**
 * The channels open before anyone signs in (role `anonymous` in the contract), as a plain list: the
 * renderer's session gate needs only these names, and importing the contract's schemas into the
 * renderer would run zod there, whose eval probe the renderer's CSP reports. A unit test keeps the
 * list equal to the contract.
 */
export const PRE_SIGN_IN_CHANNELS: readonly string[] = ['session.status', 'session.unlock', 'vault.create', 'lockout.status', 'lockout.clear', 'lockout.release'];
