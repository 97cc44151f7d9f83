/** Path of the installed Electron binary, or null when none is installed (see electron-binary.mjs). */
export function electronBinary(): string | null;
