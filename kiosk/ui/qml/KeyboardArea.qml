pragma Singleton
import QtQuick

// How much of the window's bottom an on-screen keyboard covers now (0 when none shows), for
// the pages that keep their buttons and the focused field above it. Main.qml sets it from
// whichever keyboard is up: the kiosk's own (Devanagari, digits) or Qt's (Latin letters).
QtObject {
    property real height: 0
}
