// The desk scans attendance badges with the device's camera (qr-scanner, vendored from npm). Each code read is
// sent as the badge-code form would send it; the answer is said aloud in the form's status line and the camera
// keeps going, so a queue at the door passes one badge after another. Without a camera the form is typed into.
import QrScanner from "./vendor/qr-scanner/qr-scanner.min.js";

const form = document.querySelector("form[data-scan]");
const button = document.getElementById("scan-start");
const video = document.getElementById("scan-video");
const said = document.getElementById("scan-said");

if (form && button && video && navigator.mediaDevices) {
  button.hidden = false;
  let scanner = null;
  let last = { code: "", at: 0 };
  const send = async (code) => {
    const now = Date.now();
    if (code === last.code && now - last.at < 4000) return; // the same badge held up a little longer
    last = { code, at: now };
    const data = new FormData(form);
    data.set("code", code);
    try {
      const answer = await fetch(form.getAttribute("action"), { method: "POST", body: data,
        headers: { "X-Konsey-Fetch": "1" } });
      said.textContent = (await answer.json()).message || "";
    } catch (_ignored) {
      said.textContent = form.dataset.offline || "";
    }
  };
  button.addEventListener("click", async () => {
    if (scanner) {
      scanner.stop();
      scanner = null;
      video.hidden = true;
      button.textContent = button.dataset.start;
      return;
    }
    video.hidden = false;
    scanner = new QrScanner(video, (result) => send(result.data), { returnDetailedScanResult: true,
      maxScansPerSecond: 5 });
    try {
      await scanner.start();
      button.textContent = button.dataset.stop;
    } catch (error) {
      said.textContent = button.dataset.noCamera;
      scanner = null;
      video.hidden = true;
    }
  });
}
