import QtQuick
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// The last seconds before an idle log-out, counted down: any key or click keeps the
// operator logged in.
Rectangle {
    id: banner
    objectName: "idleBanner"
    color: Theme.saffron
    implicitHeight: Math.round(56 * CounterStyle.scale)
    height: implicitHeight
    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: CounterStyle.margin
        anchors.rightMargin: CounterStyle.margin
        spacing: CounterStyle.gap
        Text {
            textFormat: Text.PlainText
            objectName: "idleCountdown"
            text: CounterLogin.idleRemaining
            color: "white"
            font.pixelSize: CounterStyle.heading
            font.weight: Font.Bold
            font.family: "Noto Sans"
        }
        Text {
            textFormat: Text.PlainText
            text: qsTr("No activity: you will be logged out in %1 s. Press any key to stay.")
                  .arg(CounterLogin.idleRemaining)
            color: "white"
            font.pixelSize: CounterStyle.body
            font.weight: Font.DemiBold
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
    }
}
