// Read before the page is painted (not deferred): with script on, the phone's menu is folded from the first
// paint rather than shown and then folded, which made every signed-in page jump.
document.documentElement.classList.add("js");
