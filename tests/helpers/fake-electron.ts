/**
 * Stand-ins for the few Electron objects the shell touches, recording exactly what the shell asks of
 * them. Only for code that cannot run without an Electron binary; tests assert on the recordings.
 */
import { EventEmitter } from 'node:events';

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  mainFrame = { url: 'app://rw/index.html' };
  loadedUrl: string | null = null;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  /** Emits like Electron: returns whether a listener called preventDefault. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    const event = { preventDefault: () => (prevented = true), ...(typeof args[0] === 'object' && args[0] !== null && !Array.isArray(args[0]) && name === 'will-frame-navigate' ? (args.shift() as object) : {}) };
    this.emit(name, event, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  contentProtection: boolean | null = null;
  loadedUrl: string | null = null;

  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    FakeBrowserWindow.instances.push(this);
  }

  setContentProtection(enabled: boolean): void {
    this.contentProtection = enabled;
  }

  /** Every URL loaded, in order (the overlay's payload travels in the fragment). */
  readonly loadedUrls: string[] = [];

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.loadedUrls.push(url);
    return Promise.resolve();
  }

  // Window state the watermark overlay reads and sets (src-main/window/overlay-window.ts).
  contentBounds = { x: 100, y: 80, width: 1280, height: 860 };
  bounds: { x: number; y: number; width: number; height: number } | null = null;
  ignoreMouseEvents: { ignore: boolean; options: unknown } | null = null;
  alwaysOnTop: { flag: boolean; level: string | undefined } | null = null;
  visible = false;
  minimized = false;
  destroyed = false;
  /** What was called to show the window ('show' steals focus, 'showInactive' does not). */
  shows: string[] = [];

  show(): void {
    this.visible = true;
    this.shows.push('show');
  }
  showInactive(): void {
    this.visible = true;
    this.shows.push('showInactive');
  }
  hide(): void {
    this.visible = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
  getContentBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.contentBounds };
  }
  setBounds(bounds: { x: number; y: number; width: number; height: number }): void {
    this.bounds = { ...bounds };
  }
  setIgnoreMouseEvents(ignore: boolean, options?: unknown): void {
    this.ignoreMouseEvents = { ignore, options };
  }
  setAlwaysOnTop(flag: boolean, level?: string): void {
    this.alwaysOnTop = { flag, level };
  }
}

type Callback = (...args: never[]) => unknown;

export class FakeSession {
  permissionRequestHandler: Callback | null = null;
  permissionCheckHandler: Callback | null = null;
  devicePermissionHandler: Callback | null = null;
  displayMediaRequestHandler: Callback | null = null;
  beforeRequest: Callback | null = null;
  webRequest = {
    onBeforeRequest: (listener: Callback) => {
      this.beforeRequest = listener;
    },
  };
  setPermissionRequestHandler(handler: Callback): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Callback): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Callback): void {
    this.devicePermissionHandler = handler;
  }
  setDisplayMediaRequestHandler(handler: Callback): void {
    this.displayMediaRequestHandler = handler;
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
  handle(channel: string, handler: (event: unknown, payload: unknown) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
}

export class FakeProtocol {
  readonly handlers = new Map<string, (request: { url: string }) => Promise<Response>>();
  handle(scheme: string, handler: (request: { url: string }) => Promise<Response>): void {
    this.handlers.set(scheme, handler);
  }
}

/** Electron's dialog module: records every call (window given or not, options) and answers as told. */
export class FakeDialog {
  readonly calls: Array<{ method: string; window: unknown; options: Record<string, unknown> }> = [];
  constructor(private readonly answer: { canceled: boolean; filePath?: string; filePaths?: string[] }) {}

  private record(method: string, a: unknown, b: unknown) {
    const hasWindow = b !== undefined;
    this.calls.push({ method, window: hasWindow ? a : null, options: (hasWindow ? b : a) as Record<string, unknown> });
    return Promise.resolve({ filePaths: [], ...this.answer });
  }

  showSaveDialog(a: unknown, b?: unknown) {
    return this.record('showSaveDialog', a, b);
  }

  showOpenDialog(a: unknown, b?: unknown) {
    return this.record('showOpenDialog', a, b);
  }
}

/** safeStorage with a toy reversible "encryption" and a record of every call, in order. */
export class FakeSafeStorage {
  readonly calls: unknown[][] = [];
  constructor(
    private readonly backend: string,
    private readonly available = true,
  ) {}
  isEncryptionAvailable(): boolean {
    this.calls.push(['isEncryptionAvailable']);
    return this.available;
  }
  getSelectedStorageBackend(): string {
    this.calls.push(['getSelectedStorageBackend']);
    return this.backend;
  }
  encryptString(text: string): Buffer {
    this.calls.push(['encryptString', text]);
    return Buffer.from(`sealed:${text}`, 'utf8');
  }
  decryptString(sealed: Buffer): string {
    this.calls.push(['decryptString', sealed.toString('utf8')]);
    const text = sealed.toString('utf8');
    if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return text.slice('sealed:'.length);
  }
}
