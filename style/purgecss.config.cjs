// The portal's stylesheet keeps only the NHS.UK frontend rules its pages use. sass compiles
// style/main.scss (the core and the components the pages use) to target/style/all.css; PurgeCSS
// then drops every rule whose classes appear nowhere in the portal's views (the Rust sources,
// whose class names are literal strings) or its enhancer, and cargo-leptos minifies the rest.
// Classes the views build from parts are kept by pattern; elements Markdown may produce in a
// published notice are kept whatever the sources say.
module.exports = {
  content: ['app/src/**/*.rs', 'server/src/**/*.rs', 'public/*.js'],
  css: ['target/style/all/portal.css'],
  output: 'target/style',
  // Every custom property and keyframe the frontend defines is kept (they cost little and are
  // referenced from places PurgeCSS does not look).
  variables: false,
  keyframes: false,
  fontFace: false,
  safelist: {
    standard: [
      'html', 'body', 'main', 'header', 'footer', 'nav', 'section',
      'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'a', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
      'strong', 'b', 'em', 'i', 'small', 'sub', 'sup', 'abbr', 'code', 'pre', 'blockquote', 'hr',
      'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'img', 'ins', 'del',
      'form', 'fieldset', 'legend', 'label', 'input', 'select', 'option', 'textarea', 'button', 'details', 'summary',
    ],
    // forms.rs builds these from the kind of choice (radios or checkboxes).
    greedy: [/^nhsuk-radios/, /^nhsuk-checkboxes/],
  },
};
