// Shared by the residents' maps: Leaflet set up from data attributes (no inline script, for the
// content security policy), tiles only where a tile server is configured, and text put into
// popups as text, never as HTML.
(function () {
  "use strict";

  function showJsOnly() {
    document.querySelectorAll(".app-js-only").forEach(function (element) {
      element.hidden = false;
    });
    document.querySelectorAll(".app-no-js").forEach(function (element) {
      element.hidden = true;
    });
  }

  function createMap(container) {
    container.textContent = "";
    var map = L.map(container, { scrollWheelZoom: false });
    var tiles = container.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, {
        attribution: container.dataset.tileAttribution || "",
        maxZoom: 19,
        // The tile server is told which site asks (its usage policy wants a valid Referer),
        // never which page: a neighbourhood's address says where a resident lives.
        referrerPolicy: "strict-origin",
      }).addTo(map);
    }
    return map;
  }

  function textBlock(lines) {
    var block = document.createElement("div");
    lines.forEach(function (line, index) {
      var paragraph = document.createElement(index === 0 ? "strong" : "div");
      paragraph.textContent = line;
      block.appendChild(paragraph);
    });
    return block;
  }

  function jsonData(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  window.BeatbookMaps = {
    showJsOnly: showJsOnly,
    createMap: createMap,
    textBlock: textBlock,
    jsonData: jsonData,
  };
})();
