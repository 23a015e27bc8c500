pragma Singleton
import QtQuick

// One place for the look: a calm government-service palette (deep blue, saffron, white cards)
// and sizes chosen for arm's-length reading on a 1080-wide touch panel. "Easy reading"
// (Session.easyRead, the top bar's A+ button) makes every text 25 % larger and the greys darker.
QtObject {
    // Set by the kiosk's Main.qml from Session.easyRead; the counter and the board, which
    // share this file and have no Session, leave it false.
    property bool easy: false
    readonly property real textScale: easy ? 1.25 : 1.0
    readonly property color blue: "#0B3D91"
    readonly property color blueDark: "#062A66"
    readonly property color blueLight: "#E6EEFA"
    readonly property color saffron: "#E8770E"
    readonly property color saffronLight: "#FFF1E0"
    readonly property color green: "#11702A"
    readonly property color greenLight: "#E5F4E9"
    readonly property color page: "#F2F4F8"
    readonly property color card: "#FFFFFF"
    readonly property color text: easy ? "#000000" : "#14213D"
    readonly property color muted: easy ? "#1F2A40" : "#44506A"
    readonly property color border: easy ? "#5B6476" : "#CBD3E1"
    readonly property color danger: "#A8201A"
    readonly property color dangerLight: "#FDECEA"
    readonly property color disabledBg: "#E6E9EF"
    readonly property color disabledText: "#5B6476"

    readonly property string fontFamily: "Noto Sans Devanagari"
    readonly property int smallSize: Math.round(28 * textScale)
    readonly property int bodySize: Math.round(32 * textScale)
    readonly property int largeSize: Math.round(40 * textScale)
    readonly property int headingSize: Math.round(52 * textScale)
    readonly property int titleSize: Math.round(68 * textScale)

    readonly property int touchMin: 64
    readonly property int buttonHeight: 112
    readonly property int radius: 24
    readonly property int margin: 48
    readonly property int gap: 28
}
