// Progressive enhancement: warn before uploading a file above the size limit (the server
// refuses it anyway, but then only after the whole upload).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.classList.contains("media-upload")) return;
  const file = input.files && input.files[0];
  const form = input.form;
  const warning = form && form.querySelector(".media-upload-warning");
  const av = file && /^(audio|video)\//.test(file.type);
  const limit = Number(av ? input.dataset.maxAvBytes : input.dataset.maxDocumentBytes);
  const tooLarge = Boolean(file && limit && file.size > limit);
  input.setCustomValidity(tooLarge && warning ? warning.textContent : "");
  if (warning) warning.hidden = !tooLarge;
});
