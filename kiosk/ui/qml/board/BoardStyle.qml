pragma Singleton
import QtQuick

// Sizes for a TV read from across a waiting hall (up to 10 m). Designed at 1920×1080; the
// window sets `unit` from its size and `portrait` from its shape, so a 1080×1920 panel and a
// 4K set read the same. The latest token's digits are at least 12 % of the screen height.
QtObject {
    property real unit: 1.0
    property bool portrait: false
    property int screenHeight: 1080
    readonly property int small: Math.round(26 * unit)
    readonly property int body: Math.round(32 * unit)
    readonly property int large: Math.round(42 * unit)
    readonly property int heading: Math.round(50 * unit)
    readonly property int historyToken: Math.round(54 * unit)
    readonly property int counterName: Math.round(64 * unit)
    // Noto Sans digits are ~0.71 em tall: 0.2 × height gives 14 % (landscape), 0.175 × 1920
    // gives 12.5 % (portrait).
    readonly property int token: Math.round(screenHeight * (portrait ? 0.175 : 0.2))
    readonly property int margin: Math.round(22 * unit)
    readonly property int gap: Math.round(16 * unit)
    readonly property int radius: Math.round(16 * unit)
    readonly property string latin: "Noto Sans"
}
