export * from '../web/html.js';
