/*
 * A live page that lost its console says so. Every page stream (htmx SSE extension) carries a "beat" from the
 * console every 2 s; more than 5 s without any event, or a stream that stays broken, and the page shows a banner
 * ("No contact with the console since 14:03:12; what you see is frozen") and greys its live panels. Data ages
 * ([data-read-at], the reading's time in epoch ms on the console's clock) keep counting here whatever the stream
 * does. When a stream opens again the banner goes and the live panels fetch their current state.
 */
(function () {
    'use strict';

    var QUIET_LIMIT_MS = 5000;   // beats come every 2 s
    var BROKEN_LIMIT_MS = 1500;  // an EventSource reconnects within about 1 s after a normal end of stream
    var sources = new Set();
    var everConnected = false;
    var lastContact = Date.now();
    var lastOpen = Date.now();
    var openedOnce = false;      // before the first open, only the 5 s rule applies
    var offset = 0;              // the console's clock minus this browser's
    var lost = false;

    function contact() {
        lastContact = Date.now();
    }

    function track(source) {
        everConnected = true;
        sources.add(source);
        source.addEventListener('open', function () {
            contact();
            lastOpen = Date.now();
            openedOnce = true;
        });
        source.addEventListener('beat', function (event) {
            contact();
            var consoleNow = Number(event.data);
            if (consoleNow > 0) {
                offset = consoleNow - Date.now();
            }
        });
        ['health', 'cards'].forEach(function (name) {
            source.addEventListener(name, contact);
        });
        return source;
    }

    function anyOpen() {
        var open = false;
        sources.forEach(function (source) {
            if (source.readyState === EventSource.CLOSED) {
                sources.delete(source); // the extension opens a new one after a back-off
            } else if (source.readyState === EventSource.OPEN) {
                open = true;
            }
        });
        return open;
    }

    function human(seconds) {
        if (seconds < 120) {
            return seconds + ' s';
        }
        if (seconds < 7200) {
            return Math.floor(seconds / 60) + ' min';
        }
        var days = Math.floor(seconds / 86400);
        return days > 1 ? days + ' d ' + Math.floor((seconds % 86400) / 3600) + ' h' : Math.floor(seconds / 3600) + ' h';
    }

    function clockTime(millis) {
        var d = new Date(millis);
        return [d.getHours(), d.getMinutes(), d.getSeconds()].map(function (n) {
            return (n < 10 ? '0' : '') + n;
        }).join(':');
    }

    function countAges() {
        var consoleNow = Date.now() + offset;
        document.querySelectorAll('[data-read-at]').forEach(function (el) {
            var readAt = Number(el.getAttribute('data-read-at'));
            if (!(readAt > 0)) {
                return;
            }
            var age = Math.max(0, Math.floor((consoleNow - readAt) / 1000));
            var staleAfter = Number(el.getAttribute('data-stale-after') || Infinity);
            el.textContent = (el.getAttribute('data-age-prefix') || '') + human(age) + ' old' + (age > staleAfter ? ' (stale)' : '');
        });
        // a card that said "live" was true at the last contact, and nothing can be said since
        var silent = Math.max(0, Math.floor((Date.now() - lastContact) / 1000));
        document.querySelectorAll('[data-live-within]').forEach(function (el) {
            if (!el.hasAttribute('data-live-text')) {
                el.setAttribute('data-live-text', el.textContent);
            }
            el.textContent = lost ? 'data at least ' + human(silent) + ' old' : el.getAttribute('data-live-text');
        });
    }

    function banner() {
        return document.getElementById('contact-lost');
    }

    function freeze() {
        lost = true;
        document.body.classList.add('contact-lost');
        document.querySelectorAll('[sse-connect]').forEach(function (el) {
            el.classList.add('frozen');
        });
        var b = banner();
        if (b) {
            b.textContent = (b.getAttribute('data-text') || 'No contact with the console since {time}; what you see is frozen')
                .replace('{time}', clockTime(lastContact));
            b.hidden = false;
        }
    }

    function thaw() {
        lost = false;
        document.body.classList.remove('contact-lost');
        document.querySelectorAll('[sse-connect]').forEach(function (el) {
            el.classList.remove('frozen');
        });
        var b = banner();
        if (b) {
            b.hidden = true;
        }
        // what changed while the page was cut off is fetched now, not at the next change
        document.querySelectorAll('[data-refresh-on-reconnect]').forEach(function (el) {
            htmx.trigger(el, 'tandem-reconnected');
        });
    }

    function tick() {
        if (everConnected) {
            var now = Date.now();
            if (anyOpen()) {
                lastOpen = now;
            }
            var cutOff = now - lastContact > QUIET_LIMIT_MS || (openedOnce && now - lastOpen > BROKEN_LIMIT_MS);
            if (cutOff && !lost) {
                freeze();
            } else if (!cutOff && lost) {
                thaw();
            }
        }
        countAges();
    }

    function start() {
        var rendered = document.querySelector('[data-server-now]');
        if (rendered) {
            offset = Number(rendered.getAttribute('data-server-now')) - Date.now();
        }
        tick();
        window.setInterval(tick, 1000);
    }

    // htmx's SSE extension opens its streams through this hook; every stream it opens is watched
    if (window.htmx && htmx.createEventSource) {
        var create = htmx.createEventSource;
        htmx.createEventSource = function (url) {
            return track(create(url));
        };
    }
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
