import QtQuick
import QtQuick.Layouts
import Kiosk

// Two very large buttons, each written in its own script, so a citizen finds their language
// without reading the other one.
Rectangle {
    id: screen
    objectName: "languageScreen"
    color: Theme.page
    readonly property bool landscape: width > height

    KioskButton {
        objectName: "languageBack"
        kind: "secondary"
        text: "वापस / Back"
        iconName: "back"
        textSize: Theme.bodySize
        anchors { left: parent.left; top: parent.top; margins: 28 }
        width: 300; height: 104
        onClicked: Session.goBack()
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: 48
        Text {
            textFormat: Text.PlainText
            text: Session.translate("Choose your language", "hi")
            color: Theme.text
            font.pixelSize: Theme.titleSize
            font.weight: Font.Bold
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            text: "Choose your language"
            color: Theme.muted
            font.pixelSize: Theme.headingSize
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        GridLayout {
            columns: screen.landscape ? 2 : 1
            columnSpacing: 48
            rowSpacing: 48
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: 40
            KioskButton {
                objectName: "langHi"
                text: "हिन्दी"
                subText: "Hindi"
                textSize: 88
                Layout.preferredWidth: 720
                Layout.preferredHeight: 300
                onClicked: Session.chooseLanguage("hi")
            }
            KioskButton {
                objectName: "langEn"
                text: "English"
                subText: "अंग्रेज़ी"
                textSize: 88
                Layout.preferredWidth: 720
                Layout.preferredHeight: 300
                onClicked: Session.chooseLanguage("en")
            }
        }
    }
}
