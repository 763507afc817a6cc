/**
 * The oldest browsers the app must start in: Chromium 87 (the kernel of many domestic browsers and
 * in-app WebViews) and Safari 14 (iOS 14). The client build, the service worker bundle and the test of
 * the built files all read it from here.
 */
export const BROWSER_TARGET = ['chrome87', 'safari14'];
