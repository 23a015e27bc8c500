pragma Singleton
import QtQuick

// Sizes for a desk screen read at half an arm's length: the kiosk's Theme gives the colours,
// these the smaller type and controls of a keyboard console. Designed at 1366×768; the window
// sets `scale` from its height so 1920×1080 reads the same, not smaller.
QtObject {
    property real scale: 1.0
    readonly property int small: Math.round(15 * scale)
    readonly property int body: Math.round(18 * scale)
    readonly property int large: Math.round(22 * scale)
    readonly property int heading: Math.round(28 * scale)
    readonly property int token: Math.round(88 * scale)
    readonly property int control: Math.round(44 * scale)
    readonly property int actionHeight: Math.round(72 * scale)
    readonly property int radius: Math.round(10 * scale)
    readonly property int margin: Math.round(16 * scale)
    readonly property int gap: Math.round(12 * scale)
}
