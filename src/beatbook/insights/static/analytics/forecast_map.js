// The forecast map: the top cells embedded in the page as JSON (not script), drawn with
// Leaflet. No inline script (content security policy); popups get text, never HTML.
(function () {
  "use strict";

  var COLOURS = ["#ffdd00", "#f47738", "#d4351c", "#912b88", "#4c2c92"];

  function colourFor(rank, total) {
    var position = total > 1 ? (rank - 1) / (total - 1) : 0;
    return COLOURS[Math.min(COLOURS.length - 1, Math.floor((1 - position) * COLOURS.length))];
  }

  function start() {
    var container = document.getElementById("forecast-map");
    var source = document.getElementById("forecast-cells");
    if (!container || !source || typeof L === "undefined") {
      return;
    }
    var cells = JSON.parse(JSON.parse(source.textContent));
    container.hidden = false;
    document.querySelectorAll(".app-no-js").forEach(function (element) {
      element.hidden = true;
    });
    var map = L.map(container, { preferCanvas: true, scrollWheelZoom: false });
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        attribution: container.dataset.tileAttribution || "",
        maxZoom: 19,
        // The site's origin only (the tile server's usage policy wants a valid Referer).
        referrerPolicy: "strict-origin",
      }).addTo(map);
    }
    var total = cells.features.length;
    var layer = L.geoJSON(cells, {
      style: function (feature) {
        return { stroke: false, fillColor: colourFor(feature.properties.rank, total), fillOpacity: 0.75 };
      },
      onEachFeature: function (feature, cell) {
        var text = document.createElement("div");
        text.textContent = "Rank " + feature.properties.rank + ", score " +
          feature.properties.score.toFixed(3) + ", cell " + feature.properties.easting + ", " +
          feature.properties.northing;
        cell.bindPopup(text);
      },
    }).addTo(map);
    if (total > 0) {
      map.fitBounds(layer.getBounds());
    } else {
      map.setView([52.8, -2.0], 9);
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();
