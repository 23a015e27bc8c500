import QtQuick
import QtQuick.Layouts

// Shown between citizens: bilingual on purpose (nobody has chosen a language yet), the whole
// screen is the start button, and a slow "breathing" ring says "this is alive, touch me".
Rectangle {
    id: screen
    objectName: "attractScreen"
    color: Theme.blue

    gradient: Gradient {
        GradientStop { position: 0.0; color: Theme.blue }
        GradientStop { position: 1.0; color: Theme.blueDark }
    }

    MouseArea {
        objectName: "attractArea"
        anchors.fill: parent
        onClicked: session.start()
    }

    Rectangle {   // saffron band at the top, white band under it: a quiet national touch
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: 18
        color: Theme.saffron
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: 36

        Text {
            // Hindi first, English under it, whatever the default language is.
            text: session.language === "hi"
                  ? session.centreName + "\n" + session.centreNameOther
                  : session.centreNameOther + "\n" + session.centreName
            color: "#DCE6F7"
            font.pixelSize: Theme.bodySize
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            text: session.translate("Welcome", "hi")
            color: "white"
            font.pixelSize: 128
            font.weight: Font.Bold
            horizontalAlignment: Text.AlignHCenter
            Layout.fillWidth: true
        }
        Text {
            text: "Welcome"
            color: "white"
            font.pixelSize: 96
            font.weight: Font.DemiBold
            horizontalAlignment: Text.AlignHCenter
            Layout.fillWidth: true
        }

        Item {
            Layout.fillWidth: true
            Layout.preferredHeight: 340
            Rectangle {
                id: ring
                anchors.centerIn: parent
                width: 300; height: 300; radius: 150
                color: "transparent"
                border.color: Theme.saffron
                border.width: 10
                SequentialAnimation on scale {
                    loops: Animation.Infinite
                    running: screen.visible
                    NumberAnimation { from: 0.9; to: 1.08; duration: 1600; easing.type: Easing.InOutSine }
                    NumberAnimation { from: 1.08; to: 0.9; duration: 1600; easing.type: Easing.InOutSine }
                }
            }
            Rectangle {
                anchors.centerIn: parent
                width: 220; height: 220; radius: 110
                color: Theme.saffron
                Canvas {   // a hand's index finger: "touch"
                    anchors.centerIn: parent
                    width: 120; height: 120
                    onPaint: {
                        var c = getContext("2d"); c.reset();
                        c.strokeStyle = "white"; c.fillStyle = "white";
                        c.lineWidth = 10; c.lineCap = "round"; c.lineJoin = "round";
                        c.beginPath(); c.moveTo(48, 70); c.lineTo(48, 18); c.stroke();
                        c.beginPath(); c.moveTo(48, 52); c.lineTo(66, 50); c.lineTo(84, 54);
                        c.lineTo(98, 60); c.lineTo(98, 96); c.lineTo(88, 112); c.lineTo(50, 112);
                        c.lineTo(28, 80); c.stroke();
                    }
                }
            }
        }

        KioskButton {
            objectName: "startButton"
            kind: "saffron"
            text: session.translate("Touch to start", "hi")
            subText: "Touch to start"
            textSize: Theme.headingSize
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Math.min(screen.width - 2 * Theme.margin, 760)
            Layout.preferredHeight: 180
            onClicked: session.start()
        }
        Text {
            text: session.translate("Get your queue token here", "hi") + "  •  Get your queue token here"
            color: "#DCE6F7"
            font.pixelSize: Theme.bodySize
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
