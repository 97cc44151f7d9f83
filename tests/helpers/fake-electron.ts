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

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }

  show(): void {}
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
