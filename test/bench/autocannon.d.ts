// autocannon ships no types; load-worker.ts states the part of its API it uses.
declare module 'autocannon';
