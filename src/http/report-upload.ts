export * from '../web/report-upload.js';
