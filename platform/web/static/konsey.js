// Konsey's own few lines of script (a file of its own: the Content-Security-Policy allows no inline script).
// Every page works without it; it only folds the menu on a phone and asks before an act that cannot be undone.
(() => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (toggle && menu) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }

  // A form marked data-confirm asks before it is sent (closing a meeting, erasing a member).
  document.addEventListener("submit", (event) => {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  // A form marked data-progress shows its progress bar while the server works (an import, say).
  document.addEventListener("submit", (event) => {
    const bar = event.target.dataset && event.target.dataset.progress && document.getElementById(event.target.dataset.progress);
    if (bar && !event.defaultPrevented) bar.hidden = false;
  });

  // A search box marked data-filter="<list id>" hides the lines of that list whose text does not match,
  // anywhere in it and however it was typed: the server's rule (konsey.core.text.search_key), Turkish lower
  // case with every letter folded to plain ASCII, so "isik" and "IŞIK" find "Işık".
  const folded = (text) => text.toLocaleLowerCase("tr-TR")
    .replace(/[ıİ]/g, "i").replace(/ş/g, "s").replace(/ğ/g, "g").replace(/ç/g, "c").replace(/ö/g, "o")
    .replace(/ü/g, "u").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  document.addEventListener("input", (event) => {
    const listId = event.target.dataset && event.target.dataset.filter;
    if (!listId) return;
    const wanted = folded(event.target.value);
    for (const line of document.getElementById(listId).children) {
      line.hidden = wanted !== "" && !folded(line.dataset.name || line.textContent).includes(wanted);
    }
  });
})();
