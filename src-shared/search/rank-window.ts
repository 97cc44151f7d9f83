/**
 * How many of the newest matches a search ranks (bm25 over the window, src-main/search/search-service.ts).
 * Pages within it are slices of one ranking; the search screen pages no further than this. A module of
 * its own, free of zod, so the renderer can take the value without bundling a schema library that probes
 * for eval (which the page's CSP refuses, and reports).
 */
export const SEARCH_RANK_WINDOW = 1000;
