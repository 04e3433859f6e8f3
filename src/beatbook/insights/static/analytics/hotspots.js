// The hotspot map: the same GeoJSON the download link gives, drawn with Leaflet on a canvas.
// No inline script (content security policy); text goes into popups as text, never as HTML.
(function () {
  "use strict";

  // GOV.UK palette from light to dark: the darker the cell, the higher its rank.
  var COLOURS = ["#ffdd00", "#f47738", "#d4351c", "#912b88", "#4c2c92"];

  function colourFor(rank, total) {
    var position = total > 1 ? (rank - 1) / (total - 1) : 0;
    var index = Math.min(COLOURS.length - 1, Math.floor((1 - position) * COLOURS.length));
    return COLOURS[index];
  }

  function popupText(properties) {
    var block = document.createElement("div");
    var lines = [
      "Rank " + properties.rank + ": " + (properties.street_name || "no street name"),
      (properties.neighbourhood_name || "") + " " + (properties.lsoa_code || ""),
      properties.crimes + " crime" + (properties.crimes === 1 ? "" : "s") +
        (properties.harm !== null ? ", harm " + properties.harm.toFixed(1) : ""),
    ];
    lines.forEach(function (line, index) {
      var element = document.createElement(index === 0 ? "strong" : "div");
      element.textContent = line;
      block.appendChild(element);
    });
    return block;
  }

  function draw(container, document_) {
    container.textContent = "";
    var map = L.map(container, { preferCanvas: true, scrollWheelZoom: false });
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        attribution: container.dataset.tileAttribution || "",
        maxZoom: 19,
        // The site's origin only (the tile server's usage policy wants a valid Referer).
        referrerPolicy: "strict-origin",
      }).addTo(map);
    }
    var gistar = container.dataset.method === "gistar";
    // Gi* lists significant cells first, so colours spread over those cells alone.
    var total = document_.features.filter(function (feature) {
      return !gistar || feature.properties.hotspot;
    }).length;
    var layer = L.geoJSON(document_, {
      style: function (feature) {
        var hot = !gistar || feature.properties.hotspot;
        return {
          stroke: false,
          fillColor: hot ? colourFor(feature.properties.rank, total) : "#b1b4b6",
          fillOpacity: hot ? 0.75 : 0.35,
        };
      },
      onEachFeature: function (feature, cell) {
        cell.bindPopup(popupText(feature.properties));
      },
    }).addTo(map);
    if (document_.features.length > 0) {
      map.fitBounds(layer.getBounds());
    } else {
      map.setView([52.8, -2.0], 9);
    }
  }

  function showKey() {
    document.querySelectorAll(".app-js-only").forEach(function (element) {
      element.hidden = false;
    });
  }

  function start() {
    var container = document.getElementById("hotspot-map");
    if (!container || typeof L === "undefined") {
      return;
    }
    showKey();
    document.querySelectorAll(".app-no-js").forEach(function (element) {
      element.hidden = true;
    });
    fetch(container.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        draw(container, data);
      })
      .catch(function () {
        container.textContent = "The map could not be loaded. The table below lists the top places.";
      });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
