// Upload each dropped or picked file on its own request so each gets its own progress bar
// and its own error, then follow each file to ready or failed: on the live "document"
// events, and by polling the status URL (a proxy may buffer the event stream).
(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = form.querySelector('input[type="file"]');
  const list = document.getElementById("upload-progress");
  const token = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
  const maxBytes = Number(form.dataset.maxBytes) * 1024 * 1024;
  const statusUrl = form.dataset.statusUrl;
  const following = new Map(); // document id -> its row, until the document is finished
  let pollTimer = null;

  function show(ui, doc, duplicate) {
    const prefix = duplicate ? "already uploaded: " : "";
    if (doc.status === "failed") {
      ui.li.className = "failed";
      ui.note.textContent = prefix + "could not be read: " + (doc.error || "extraction failed");
    } else if (doc.status === "ready") {
      ui.li.className = "uploaded";
      ui.note.textContent = prefix + "ready";
    } else {
      ui.li.className = "";
      ui.note.textContent = prefix + (doc.status === "extracting" ? "reading the text…" : "uploaded, queued for extraction");
    }
  }

  function follow(id, ui) {
    following.set(String(id), ui);
    if (!pollTimer) pollTimer = setInterval(checkStatus, 3000);
  }

  function checkStatus() {
    if (!following.size || !statusUrl) return;
    const query = Array.from(following.keys()).map(function (id) { return "id=" + encodeURIComponent(id); }).join("&");
    fetch(statusUrl + "?" + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { documents: [] }; })
      .then(function (body) {
        let finished = false;
        body.documents.forEach(function (doc) {
          const ui = following.get(String(doc.id));
          if (!ui) return;
          show(ui, doc, false);
          if (doc.finished) { following.delete(String(doc.id)); finished = true; }
        });
        if (finished) refreshTable();
        if (!following.size) { clearInterval(pollTimer); pollTimer = null; }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  document.body.addEventListener("reflect-document", function (event) {
    if (event.detail && following.has(String(event.detail.id))) checkStatus();
  });

  function row(file) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    const note = document.createElement("span");
    note.className = "note";
    li.append(name, bar, note);
    list.prepend(li);
    return { li, bar, note };
  }

  function refreshTable() {
    if (window.htmx) {
      htmx.ajax("GET", window.location.pathname, { target: "#document-table", swap: "outerHTML" });
    }
  }

  function send(file) {
    const ui = row(file);
    if (file.size > maxBytes) {
      ui.li.className = "failed";
      ui.note.textContent = "file too large (the limit is " + form.dataset.maxBytes + " MB)";
      return Promise.resolve();
    }
    return new Promise(function (resolve) {
      const data = new FormData();
      data.append("files", file);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) ui.bar.value = Math.round((e.loaded / e.total) * 100);
      };
      xhr.onload = function () {
        let result = null;
        try {
          const body = JSON.parse(xhr.responseText);
          result = body.results && body.results[0];
          if (!result) ui.note.textContent = body.error || "upload failed";
        } catch (err) {
          ui.note.textContent = "upload failed (" + xhr.status + ")";
        }
        if (result && result.ok) {
          ui.bar.value = 100;
          ui.li.dataset.document = result.document_id;
          show(ui, result, result.outcome === "duplicate");
          // A failed duplicate too: the status URL has its reason.
          if (result.status !== "ready") follow(result.document_id, ui);
        } else {
          ui.li.className = "failed";
          if (result) ui.note.textContent = result.error;
        }
        resolve();
      };
      xhr.onerror = function () {
        ui.li.className = "failed";
        ui.note.textContent = "network error: the file was not uploaded";
        resolve();
      };
      xhr.send(data);
    });
  }

  async function sendAll(files) {
    // Two at a time: fast on a LAN without flooding the server with large bodies.
    const queue = Array.from(files);
    async function next() {
      while (queue.length) {
        await send(queue.shift());
        refreshTable();
      }
    }
    await Promise.all([next(), next()]);
  }

  input.addEventListener("change", function () {
    sendAll(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (type) {
    form.addEventListener(type, function (e) { e.preventDefault(); form.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    form.addEventListener(type, function (e) { e.preventDefault(); form.classList.remove("over"); });
  });
  form.addEventListener("drop", function (e) { sendAll(e.dataTransfer.files); });
})();
