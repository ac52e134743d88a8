// Fill the municipality list when the province changes; without JavaScript, submitting reloads the list.
// (A file of its own: the Content-Security-Policy allows no inline script.)
const form = document.getElementById("onboard");
document.getElementById("province_code").addEventListener("change", async (event) => {
  const select = document.getElementById("municipality_id");
  if (!event.target.value) return;
  const url = form.dataset.municipalitiesUrl.replace("/0/", `/${event.target.value}/`);
  const response = await fetch(url);
  if (!response.ok) return;
  const rows = await response.json();
  select.replaceChildren(new Option(form.dataset.choose, ""), ...rows.map((m) => new Option(m.label, m.id)));
});

// Suggest the address from the name ("İnegöl Kent Konseyi" → "inegol") until the operator types one.
const ASCII = { ç: "c", ğ: "g", ı: "i", i̇: "i", ö: "o", ş: "s", ü: "u", â: "a", î: "i", û: "u" };
const slug = document.getElementById("slug");
let typedByHand = slug.value !== "";
slug.addEventListener("input", () => { typedByHand = slug.value !== ""; });
document.getElementById("name").addEventListener("input", (event) => {
  if (typedByHand) return;
  const folded = event.target.value.toLocaleLowerCase("tr-TR").replace(/[çğıöşüâîû]/g, (ch) => ASCII[ch] || ch);
  slug.value = folded.normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    .replace(/-kent-konseyi$/, "").slice(0, 63);
});
