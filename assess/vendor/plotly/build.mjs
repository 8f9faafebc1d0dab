// Builds ../plotly.min.js from entry.js with esbuild, as plotly.js builds its own bundles
// (its esbuild-config.js: an IIFE that defines the global Plotly, ES2016).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('node_modules/plotly.js/package.json', 'utf8'));

await build({
    entryPoints: ['entry.js'],
    outfile: '../plotly.min.js',
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'inline',
    banner: { js: `/* plotly.js v${version} (MIT), partial bundle for Hankintapolku: assess/vendor/plotly/entry.js */` },
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    target: 'es2016',
    // The one stylesheet plotly.js imports is MapLibre's, for map traces, which this bundle leaves out.
    loader: { '.css': 'empty' },
    logLevel: 'warning',
});
