import QtQuick
import QtQuick.Layouts
import Kiosk

// Every screen after the language choice: Back on the left, where-am-I in the middle, the
// language switch on the right (labelled in the language it switches *to*, so a reader of that
// language recognises it).
Rectangle {
    id: bar
    property string title: ""
    property bool showBack: true
    signal backClicked()
    color: Theme.blue
    implicitHeight: Theme.easy ? 176 : 150      // larger text needs the room for two lines

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 24
        anchors.rightMargin: 24
        spacing: 12
        KioskButton {
            objectName: "backButton"
            visible: bar.showBack
            kind: "secondary"
            text: qsTr("Back")
            iconName: "back"
            textSize: Theme.bodySize
            Layout.preferredHeight: 104
            Layout.preferredWidth: 180
            onClicked: bar.backClicked()
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Text {
                objectName: "topBarTitle"
                textFormat: Text.PlainText
                text: bar.title
                color: "white"
                font.pixelSize: Theme.largeSize
                font.weight: Font.Bold
                // a long title takes a second line and shrinks (down to the small size) to
                // fit it: "What would you like to do?" was cut to "What would you like to…"
                wrapMode: Text.WordWrap
                maximumLineCount: 2
                fontSizeMode: Text.Fit
                minimumPixelSize: 26
                elide: Text.ElideRight
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                Layout.fillWidth: true
                Layout.preferredHeight: bar.height - 2 * 12 - (subtitle.visible ? subtitle.implicitHeight : 0)
                                        - (demo.visible ? demo.implicitHeight + 4 : 0)
            }
            Text {
                id: subtitle
                objectName: "topBarCentre"
                visible: Session.demoBadge === ""
                textFormat: Text.PlainText
                text: Session.centreName
                color: "#DCE6F7"
                font.pixelSize: Theme.smallSize
                // The centre's name shrinks a little before it is cut ("Lok Seva Kendra, Huzu…"
                // beside a two-line English title on a portrait screen).
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: 18
                elide: Text.ElideRight
                horizontalAlignment: Text.AlignHCenter
                Layout.fillWidth: true
            }
            // Demo mode: where the centre's name would be, on every screen with this bar.
            DemoBadge {
                id: demo
                Layout.alignment: Qt.AlignHCenter
                Layout.topMargin: 4
            }
        }
        // Call staff: the counters are told someone here needs help (kiosk/ui/viewmodels/help.py).
        KioskButton {
            objectName: "callStaffButton"
            kind: "secondary"
            iconName: "help"
            text: ""
            Accessible.name: qsTr("Call staff")
            Layout.preferredHeight: 104
            Layout.preferredWidth: 88
            onClicked: Help.callStaff()
        }
        // Easy reading: larger text, stronger contrast, for this citizen only.
        KioskButton {
            objectName: "easyReadButton"
            kind: "secondary"
            text: Session.easyRead ? "A−" : "A+"
            textSize: 36
            Accessible.name: qsTr("Larger text")
            Layout.preferredHeight: 104
            Layout.preferredWidth: 88
            onClicked: Session.toggleEasyRead()
        }
        // Spoken guidance: what this screen asks, said aloud (kiosk/speech/guide.py).
        KioskButton {
            objectName: "speakButton"
            visible: Guide.enabled
            kind: "secondary"
            iconName: "speaker"
            text: ""
            Accessible.name: qsTr("Listen")
            Layout.preferredHeight: 104
            Layout.preferredWidth: 88
            onClicked: Guide.speak()
        }
        KioskButton {
            objectName: "langToggle"
            kind: "saffron"
            iconName: "language"
            text: Session.language === "hi" ? "English" : "हिन्दी"
            textSize: Theme.bodySize
            Layout.preferredHeight: 104
            Layout.preferredWidth: 200
            onClicked: Session.toggleLanguage()
        }
    }
}
