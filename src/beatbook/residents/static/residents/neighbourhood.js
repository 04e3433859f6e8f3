// The neighbourhood page's maps: the published crime locations (counts per point) inside the
// neighbourhood's boundary, and the places of events. Everything they show is also in the
// page's text and tables.
(function () {
  "use strict";
  var maps = window.BeatbookMaps;

  function drawBoundary(map) {
    var boundary = maps.jsonData("neighbourhood-boundary");
    if (!boundary) {
      return null;
    }
    var layer = L.geoJSON(boundary, {
      style: { color: "#0b0c0c", weight: 2, fill: false },
      interactive: false,
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    return layer;
  }

  function placePopup(props) {
    var block = maps.textBlock([
      props.name,
      props.count + (props.count === 1 ? " crime" : " crimes"),
    ]);
    var list = document.createElement("ul");
    props.categories.forEach(function (pair) {
      var item = document.createElement("li");
      item.textContent = pair[0] + ": " + pair[1];
      list.appendChild(item);
    });
    block.appendChild(list);
    return block;
  }

  function drawCrimePlaces(map, url) {
    fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (collection) {
        L.geoJSON(collection, {
          pointToLayer: function (feature, latlng) {
            var radius = 4 + 2 * Math.sqrt(feature.properties.count);
            return L.circleMarker(latlng, {
              radius: Math.min(radius, 30),
              color: "#1d70b8",
              weight: 1,
              fillOpacity: 0.5,
            });
          },
          onEachFeature: function (feature, layer) {
            layer.bindPopup(placePopup(feature.properties));
          },
        }).addTo(map);
      });
  }

  function setUpCrimeMap(container) {
    var map = maps.createMap(container);
    map.setView([52.8, -2.0], 13);
    drawBoundary(map);
    drawCrimePlaces(map, container.dataset.placesUrl);
  }

  function setUpEventsMap(container) {
    var points = maps.jsonData("event-points") || [];
    var map = maps.createMap(container);
    var markers = points.map(function (point) {
      var link = document.createElement("a");
      link.className = "govuk-link";
      link.href = "#" + point.anchor;
      link.textContent = point.title;
      return L.marker([point.lat, point.lng], { alt: point.title, title: point.title })
        .bindPopup(link)
        .addTo(map);
    });
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), { maxZoom: 15 });
    }
  }

  function start() {
    maps.showJsOnly();
    if (!window.L) {
      return;
    }
    var crimeMap = document.getElementById("crime-map");
    if (crimeMap) {
      setUpCrimeMap(crimeMap);
    }
    var eventsMap = document.getElementById("events-map");
    if (eventsMap) {
      setUpEventsMap(eventsMap);
    }
  }

  start();
})();
