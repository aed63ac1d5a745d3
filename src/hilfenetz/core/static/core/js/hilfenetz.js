// Progressive enhancement only: every page works without this file.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.language-switcher[open]").forEach((d) => {
    d.open = false;
    d.querySelector("summary").focus();
  });
});
