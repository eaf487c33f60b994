// Page changes without a full reload, once the islands are alive. Every link and form in the
// portal works as plain HTML; this only takes over same-site navigations and form posts,
// fetches the next page as the browser would, and puts its body in place of this one, then
// wakes the new page's islands. Anything unusual (other sites, downloads, file uploads, new
// windows, modified clicks) is left to the browser.
(() => {
  let navigation = 0;

  // The NHS conditional reveal. Each option that reveals more questions names them in
  // data-aria-controls; while JavaScript runs (the scr-js class, see style/main.scss) only the
  // chosen options' questions show. Without JavaScript every question shows, under its option.
  document.documentElement.classList.add('scr-js');
  function reveal(input) {
    const target = document.getElementById(input.getAttribute('data-aria-controls'));
    if (!target) return;
    // aria-controls only: aria-expanded is not allowed on a radio or checkbox (WAI-ARIA), and
    // the revealed questions follow the option in reading order.
    input.setAttribute('aria-controls', target.id);
    const kind = input.type === 'checkbox' ? 'nhsuk-checkboxes' : 'nhsuk-radios';
    target.classList.toggle(kind + '__conditional--hidden', !input.checked);
  }
  function revealAll() {
    document.querySelectorAll('input[data-aria-controls]').forEach(reveal);
  }
  document.addEventListener('change', (ev) => {
    const input = ev.target;
    if (!(input instanceof HTMLInputElement) || (input.type !== 'radio' && input.type !== 'checkbox')) return;
    // Choosing a radio unchooses the others in its group, which fire no event of their own.
    const group = input.type === 'radio' && input.form ? input.form.querySelectorAll('input[type="radio"][data-aria-controls]') : [input];
    group.forEach((i) => { if (i.name === input.name) reveal(i); });
  });
  revealAll();

  const sameSite = (url) => url.origin === window.location.origin;

  function linkRequest(ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return null;
    const a = ev.target instanceof Element ? ev.target.closest('a[href]') : null;
    if (!a || a.target || a.hasAttribute('download')) return null;
    if ((a.getAttribute('rel') || '').split(/\s+/).includes('external')) return null;
    const url = new URL(a.href, document.baseURI);
    if (!sameSite(url)) return null;
    // A link to a place on this page is the browser's to follow.
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return null;
    return new Request(url, { headers: { Accept: 'text/html' } });
  }

  function formRequest(ev) {
    if (ev.defaultPrevented) return null;
    const form = ev.target;
    if (!(form instanceof HTMLFormElement)) return null;
    // Attributes, not properties: a field named "action" or "method" would shadow form.action.
    const submitter = ev.submitter || null;
    const attr = (name) => (submitter && submitter.getAttribute('form' + name)) || form.getAttribute(name);
    if (attr('target')) return null;
    if ((attr('enctype') || '').toLowerCase() === 'multipart/form-data') return null;
    const url = new URL(attr('action') || window.location.href, document.baseURI);
    if (!sameSite(url)) return null;
    const data = new URLSearchParams(new FormData(form, submitter || undefined));
    const method = (attr('method') || 'get').toUpperCase();
    if (method === 'GET') {
      url.search = data.toString();
      return new Request(url, { headers: { Accept: 'text/html' } });
    }
    return new Request(url, { method: 'POST', body: data, headers: { Accept: 'text/html' } });
  }

  async function go(request, push) {
    const mine = ++navigation;
    let response;
    try {
      response = await fetch(request, { credentials: 'same-origin', redirect: 'follow' });
    } catch {
      window.location.assign(request.url);
      return;
    }
    const type = response.headers.get('content-type') || '';
    if (!type.includes('text/html')) {
      window.location.assign(response.url);
      return;
    }
    const html = await response.text();
    if (mine !== navigation) return;
    const next = new DOMParser().parseFromString(html, 'text/html');
    // A public page sent alike to everyone has no nonce, so it cannot start WebAssembly for
    // the next page: a page with islands is then loaded by the browser (a form post's answer
    // is shown as it is, and works as plain HTML).
    const canBoot = window.__hydrateIsland || document.querySelector('script[nonce]')?.nonce;
    if (!canBoot && next.body.querySelector('leptos-island') && request.method === 'GET') {
      window.location.assign(response.url);
      return;
    }
    document.title = next.title;
    document.body.replaceChildren(...Array.from(next.body.childNodes).map((n) => document.importNode(n, true)));
    revealAll();
    const url = new URL(response.url);
    url.hash = new URL(request.url).hash;
    if (push) window.history.pushState({}, '', url);
    if (window.__hydrateIsland) {
      for (const island of document.body.querySelectorAll('leptos-island')) {
        window.__hydrateIsland(island, island.dataset.component);
      }
    } else if (canBoot && document.body.querySelector('leptos-island')) {
      // This page came without WebAssembly (it had nothing interactive); the new one has
      // islands, so start them with the new page's own hydration script.
      const boot = next.head.querySelector('script[type="module"]:not([src])');
      if (boot) {
        const script = document.createElement('script');
        script.type = 'module';
        script.nonce = document.querySelector('script[nonce]')?.nonce || '';
        script.textContent = boot.textContent;
        document.head.append(script);
      }
    }
    const target = url.hash && document.getElementById(decodeURIComponent(url.hash.slice(1)));
    if (target) {
      target.scrollIntoView();
      target.focus?.();
    } else if (!document.getElementById('error-summary')) {
      // A new page: start at its top, with its heading read out first.
      window.scrollTo(0, 0);
      const h1 = document.querySelector('main h1');
      if (h1) {
        h1.setAttribute('tabindex', '-1');
        h1.focus({ preventScroll: true });
      }
    }
  }

  window.addEventListener('click', (ev) => {
    const request = linkRequest(ev);
    if (!request) return;
    ev.preventDefault();
    go(request, true);
  });

  window.addEventListener('submit', (ev) => {
    const request = formRequest(ev);
    if (!request) return;
    ev.preventDefault();
    go(request, true);
  });

  window.addEventListener('popstate', () => {
    go(new Request(window.location.href, { headers: { Accept: 'text/html' } }), false);
  });
})();
