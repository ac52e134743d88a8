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
