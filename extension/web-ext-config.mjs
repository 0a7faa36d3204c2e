// web-ext settings: lint and build only what ships in the extension.
export default {
  ignoreFiles: [
    'test',
    'scripts',
    'package.json',
    'package-lock.json',
    'web-ext-config.mjs',
    'README.md',
  ],
};
