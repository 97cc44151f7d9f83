// Placeholder composition root; replaced by the Electron shell wiring.
export {};
