pragma Singleton
import QtQuick

// Sizes for a desk screen read at half an arm's length (1366×768 up to 1920×1080): the
// kiosk's Theme gives the colours, these the smaller type and controls of a keyboard console.
QtObject {
    readonly property int small: 15
    readonly property int body: 18
    readonly property int large: 22
    readonly property int heading: 28
    readonly property int token: 88
    readonly property int control: 44
    readonly property int actionHeight: 72
    readonly property int radius: 10
    readonly property int margin: 16
    readonly property int gap: 12
}
