// Find your neighbourhood: a map of the neighbourhood boundaries (select a place to go to its
// neighbourhood) and "Use my location". The page works without them through its forms.
(function () {
  "use strict";
  var maps = window.BeatbookMaps;

  function goTo(locateUrl, lat, lng) {
    window.location.href =
      locateUrl + "?lat=" + lat.toFixed(6) + "&lng=" + lng.toFixed(6);
  }

  function drawBoundaries(map, url) {
    fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: { color: "#1d70b8", weight: 2, fillOpacity: 0.08 },
          onEachFeature: function (feature, shape) {
            var props = feature.properties;
            shape.bindTooltip(maps.textBlock([props.name, props.force]), { sticky: true });
          },
        }).addTo(map);
        if (layer.getLayers().length) {
          map.fitBounds(layer.getBounds());
        }
      });
  }

  function setUpMap(container) {
    var map = maps.createMap(container);
    map.setView([52.8, -2.0], 9);
    drawBoundaries(map, container.dataset.boundariesUrl);
    map.on("click", function (event) {
      goTo(container.dataset.locateUrl, event.latlng.lat, event.latlng.lng);
    });
  }

  function setUpLocationButton(button) {
    var message = document.getElementById("location-error");
    if (!("geolocation" in navigator)) {
      button.hidden = true;
      return;
    }
    button.addEventListener("click", function () {
      message.hidden = true;
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          goTo(button.dataset.locateUrl, position.coords.latitude, position.coords.longitude);
        },
        function () {
          button.disabled = false;
          message.textContent =
            "We could not get your location. Search by postcode or name instead.";
          message.hidden = false;
        },
        { timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function start() {
    maps.showJsOnly();
    var container = document.getElementById("find-map");
    if (container && window.L) {
      setUpMap(container);
    }
    var button = document.getElementById("use-my-location");
    if (button) {
      setUpLocationButton(button);
    }
  }

  start();
})();
