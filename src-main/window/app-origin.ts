/** The renderer's origin. A privileged standard scheme so it gets a real origin, never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'rw';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
